package org.neurolake.train;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pins a task to the GPU Spark's resource scheduler assigned it
 * ({@code spark.task.resource.gpu.amount}, see conf/spark-gpu.conf): ND4J's current device for
 * this thread becomes that address. With the CPU backend (nd4j-native) there is one device and
 * pinning is a no-op; the address is still returned and recorded.
 */
final class DevicePinning {
  static final String GPU = "gpu";

  private DevicePinning() {}

  /** The task's GPU address, or null when it was given none. */
  static String pin(TaskContext ctx) {
    ResourceInformation gpu = ctx.resources().get(GPU).getOrElse(() -> null);
    if (gpu == null || gpu.addresses().length == 0) {
      return null;
    }
    String address = gpu.addresses()[0];
    int devices = Nd4j.getAffinityManager().getNumberOfDevices();
    int id = Integer.parseInt(address);
    if (devices > 1) {
      if (id >= devices) {
        throw new IllegalStateException("Spark assigned GPU " + id + " but ND4J sees " + devices + " devices");
      }
      Nd4j.getAffinityManager().unsafeSetDevice(id);
    }
    return address;
  }
}
