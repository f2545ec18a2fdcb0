package io.zlayer.domain.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zlayer.domain.error.InvalidReferenceException;

/**
 * Any string either parses or fails with {@link InvalidReferenceException} (one line); what
 * parses round-trips through its canonical and familiar forms, and acceptance agrees with the
 * transcription of Docker's regular expressions. Seeds live in {@code
 * ImageReferenceFuzzTestInputs/parse}: the last byte chooses ASCII (odd) or any text (even).
 */
class ImageReferenceFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parse(FuzzedDataProvider data) throws Exception {
    boolean ascii = data.consumeBoolean();
    String input = ascii ? data.consumeRemainingAsAsciiString() : data.consumeRemainingAsString();
    ImageReference ref;
    try {
      ref = ImageReference.parse(input);
    } catch (InvalidReferenceException e) {
      assertTrue(e.getMessage().startsWith("invalid reference \""), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertNull(ImageReferenceTest.compareWithOracle(input));
      return;
    }
    assertNull(ImageReferenceTest.compareWithOracle(input));
    assertEquals(ref, ImageReference.parse(ref.toString()));
    assertEquals(ref, ImageReference.parse(ref.familiarString()));
    assertTrue(ref.tag().isPresent() || ref.digest().isPresent());
  }
}
