package org.neurolake.family;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.neurolake.model.api.ModelSpec;

/**
 * An inference's computation over one Spark partition: builds the model from the trained spec and
 * parameters (once per partition) and maps input rows to output rows of the output table's schema.
 */
@FunctionalInterface
public interface ModelRowFunction<S extends ModelSpec> extends Serializable {
  Iterator<Row> apply(S spec, float[] parameters, Iterator<Row> rows) throws Exception;
}
