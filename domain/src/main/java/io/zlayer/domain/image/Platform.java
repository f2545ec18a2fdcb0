package io.zlayer.domain.image;
import java.util.Optional;
public record Platform(String os, String architecture, Optional<String> variant, Optional<String> osVersion) {
  public boolean matches(Platform o) { return os.equals(o.os) && architecture.equals(o.architecture); }
}
