package io.zlayer.adapters.registry;

import java.io.IOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;

/** A request body that can be sent again: each {@link #publisher()} starts from the beginning. */
interface RequestBody {
  long length();

  BodyPublisher publisher() throws IOException;

  static RequestBody of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new RequestBody() {
      @Override
      public long length() {
        return copy.length;
      }

      @Override
      public BodyPublisher publisher() {
        return BodyPublishers.ofByteArray(copy);
      }
    };
  }
}
