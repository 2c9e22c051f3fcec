package org.neurolake.pipelines.table;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;

/** Turns user-given locations into Hadoop URIs: every path is a URI, {@code file://} by default. */
public final class HadoopPaths {
  private HadoopPaths() {}

  public static URI toUri(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("empty path");
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*")) {
      try {
        URI uri = new URI(location);
        if (uri.getScheme().equals("file") && uri.getPath() != null && !uri.getPath().startsWith("/")) {
          throw new IllegalArgumentException("file: URI must be absolute: " + location);
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a valid URI: " + location + " (" + e.getMessage() + ")", e);
      }
    }
    return Paths.get(location).toAbsolutePath().normalize().toUri();
  }
}
