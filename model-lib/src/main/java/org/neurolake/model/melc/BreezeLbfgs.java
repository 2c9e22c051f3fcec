package org.neurolake.model.melc;

import breeze.linalg.DenseVector;
import breeze.optimize.DiffFunction;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import scala.Tuple2;

/**
 * Breeze's L-BFGS ({@code breeze.optimize.LBFGS}, the one Spark's MLlib uses) called from Java: a
 * small adapter from {@link SphereObjective} to Breeze's {@code DiffFunction} ({@link #diffFunction}).
 */
public final class BreezeLbfgs {
  /** Corrections kept (Breeze's and MLlib's default). */
  public static final int MEMORY = 10;

  private final int maxIterations;
  private final double tolerance;

  public BreezeLbfgs(int maxIterations, double tolerance) {
    if (maxIterations < 1 || !(tolerance > 0)) {
      throw new IllegalArgumentException("maxIterations >= 1 and tolerance > 0 required");
    }
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  /** The minimizer found from {@code start} and the objective there. */
  public record Result(double[] w, double value, int iterations) {}

  public Result minimize(SphereObjective objective, double[] start) {
    LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(maxIterations, MEMORY, tolerance, DenseVector.space_Double());
    FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> state =
        lbfgs.minimizeAndReturnState(diffFunction(objective), new DenseVector<>(start.clone()));
    return new Result(toArray(state.x()), state.value(), state.iter());
  }

  static double[] toArray(DenseVector<Object> v) {
    double[] data = (double[]) v.data();
    if (v.offset() == 0 && v.stride() == 1 && v.length() == data.length) {
      return data.clone();
    }
    double[] out = new double[v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[v.offset() + i * v.stride()];
    }
    return out;
  }

  /**
   * The objective as a Breeze {@code DiffFunction}. Java source cannot implement that Scala trait:
   * it inherits {@code apply} twice with different return types (Function1's Object and
   * StochasticDiffFunction's double), which javac rejects (so does a dynamic proxy, and so does a
   * Java subclass of a Breeze class that implements it). The JDK's {@link LambdaMetafactory} builds
   * the class at run time instead, implementing the trait's one abstract method Breeze's L-BFGS
   * calls, {@code calculate}; {@code valueAt}, {@code gradientAt} and {@code apply(x): Double} are
   * the trait's default methods over it. (Function1's generic {@code apply} stays unimplemented:
   * L-BFGS does not call it; {@code BreezeLbfgsTest} runs the optimizer through this adapter.)
   */
  @SuppressWarnings("unchecked")
  static DiffFunction<DenseVector<Object>> diffFunction(SphereObjective objective) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodType calculate = MethodType.methodType(Tuple2.class, Object.class);
      CallSite site = LambdaMetafactory.metafactory(lookup, "calculate",
          MethodType.methodType(DiffFunction.class, Calculation.class), calculate,
          lookup.findVirtual(Calculation.class, "calculate", calculate), calculate);
      return (DiffFunction<DenseVector<Object>>) site.getTarget().invoke(new Calculation(objective));
    } catch (Throwable e) {
      throw new IllegalStateException("cannot build Breeze's DiffFunction for the MELC objective", e);
    }
  }

  /** {@code calculate(x) = (f(x), ∇f(x))} in Breeze's types. */
  static final class Calculation {
    private final SphereObjective objective;

    Calculation(SphereObjective objective) {
      this.objective = objective;
    }

    @SuppressWarnings("unchecked")
    public Tuple2<Object, DenseVector<Object>> calculate(Object x) {
      double[] w = toArray((DenseVector<Object>) x);
      double[] g = new double[w.length];
      double f = objective.valueAndGradient(w, g);
      return new Tuple2<>(f, new DenseVector<>(g));
    }
  }
}
