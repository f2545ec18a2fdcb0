package io.zlayer.adapters.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Creates command objects for picocli, handing the {@link CliContext} to those that take one. */
final class CommandFactory implements IFactory {
  private final CliContext context;
  private final IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(CliContext context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    for (Constructor<?> c : cls.getDeclaredConstructors()) {
      Class<?>[] params = c.getParameterTypes();
      if (params.length == 1 && params[0] == CliContext.class) {
        c.setAccessible(true);
        return cls.cast(c.newInstance(context));
      }
    }
    return fallback.create(cls);
  }
}
