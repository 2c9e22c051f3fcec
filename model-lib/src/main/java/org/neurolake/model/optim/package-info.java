/**
 * Optimizers shared by the models (no Spark; ND4J only in {@link org.neurolake.model.optim.Nd4jAdam}, Adam as
 * ND4J operations for device-resident parameters): {@link org.neurolake.model.optim.Adam} with
 * global-norm gradient clipping over a model's flat parameter vector, configured by {@link
 * org.neurolake.model.optim.AdamSettings}; {@link org.neurolake.model.optim.Adagrad}, which also
 * applies row-sparse gradients exactly.
 */
package org.neurolake.model.optim;
