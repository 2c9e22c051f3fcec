package org.neurolake.e2e;

import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;

/** A separate JVM that writes one large checkpoint; the test kills it in the middle. */
public final class CheckpointWriterProcess {
  private CheckpointWriterProcess() {}

  public static void main(String[] args) {
    Configuration conf = new Configuration();
    HadoopCheckpointStore store = new HadoopCheckpointStore(conf, new Path(URI.create(args[0])));
    float[] big = new float[Integer.parseInt(args[2])];
    java.util.Arrays.fill(big, 2f);
    System.out.println("writing");
    System.out.flush();
    for (int round = Integer.parseInt(args[1]); ; round++) {
      store.commit(new Checkpoint(round, round, 1, big, big, "{}", Map.of()), 100);
    }
  }
}
