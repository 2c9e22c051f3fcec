package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Fits one model per penalty of a grid, several at a time, and returns them in grid order. An
 * MLlib fit of a probe-sized problem is ~maxIter small Spark jobs; fits running concurrently (as
 * {@code CrossValidator.setParallelism} does) overlap their scheduling latency (on 2 cores, four at
 * a time made the probe's data-efficiency fits 1.3x faster). The fits are independent, so the
 * results do not depend on the parallelism.
 */
public final class GridFits {
  private GridFits() {}

  public static <T> List<T> map(List<Double> grid, int parallelism, DoubleFunction<T> fit) {
    return mapTasks(grid, parallelism, c -> fit.apply(c));
  }

  /**
   * Runs {@code fit} on every task, up to {@code parallelism} at once in submission (list) order,
   * and returns the results in list order. Callers that batch the fits of several training sets
   * (the data-efficiency curve's subsets) keep both cores busy up to the last fit instead of waiting
   * for each set's slowest penalty.
   */
  public static <S, T> List<T> mapTasks(List<S> tasks, int parallelism, Function<S, T> fit) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    if (parallelism == 1 || tasks.size() <= 1) {
      List<T> out = new ArrayList<>(tasks.size());
      for (S task : tasks) {
        out.add(fit.apply(task));
      }
      return out;
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), r -> {
      Thread t = new Thread(r, "grid-fit-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>(tasks.size());
      for (S task : tasks) {
        futures.add(pool.submit(() -> fit.apply(task)));
      }
      List<T> out = new ArrayList<>(tasks.size());
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("one of " + tasks.size() + " fits failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + tasks.size() + " fits", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
