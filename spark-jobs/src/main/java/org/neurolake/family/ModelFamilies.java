package org.neurolake.family;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The model families on the class path, by name, found with {@link ServiceLoader}. Immutable once
 * built; {@link #installed()} reads the class path each time it is called.
 */
public final class ModelFamilies {
  private final Map<String, ModelFamily<?, ?>> byName;

  private ModelFamilies(Map<String, ModelFamily<?, ?>> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** Every family listed in {@code META-INF/services/org.neurolake.family.ModelFamily}. */
  @SuppressWarnings("rawtypes")
  public static ModelFamilies installed() {
    Map<String, ModelFamily<?, ?>> found = new LinkedHashMap<>();
    for (ModelFamily f : ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader())) {
      ModelFamily<?, ?> previous = found.putIfAbsent(f.name(), f);
      if (previous != null && previous.getClass() != f.getClass()) {
        throw new IllegalStateException("two model families are named '" + f.name() + "': "
            + previous.getClass().getName() + " and " + f.getClass().getName());
      }
    }
    return new ModelFamilies(found);
  }

  public TreeSet<String> names() {
    return new TreeSet<>(byName.keySet());
  }

  /** The family called {@code name}; an unknown name is an error listing the known ones. */
  public ModelFamily<?, ?> byName(String name) {
    ModelFamily<?, ?> f = byName.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown model family '" + name + "' (installed: " + names() + ")");
    }
    return f;
  }
}
