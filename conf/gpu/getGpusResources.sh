#!/usr/bin/env bash
# Spark resource discovery for NVIDIA GPUs: prints {"name": "gpu", "addresses": ["0", "1", ...]}.
set -euo pipefail
addrs=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/","/g')
echo "{\"name\": \"gpu\", \"addresses\": [\"$addrs\"]}"
