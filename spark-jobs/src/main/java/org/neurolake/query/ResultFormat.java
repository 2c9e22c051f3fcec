package org.neurolake.query;

/** How {@code query} prints a result: an aligned text table, or CSV (RFC 4180) with a header line. */
public enum ResultFormat { TABLE, CSV }
