package org.neurolake.e2e;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS (one name node, one data node) inside the test JVM, storing its blocks under {@code base}. */
final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  MiniHdfs(Path base) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitClusterUp();
  }

  /** The file system's root URI, e.g. {@code hdfs://localhost:38211}. */
  String uri() {
    return "hdfs://localhost:" + cluster.getNameNodePort();
  }

  @Override
  public void close() {
    cluster.shutdown();
  }
}
