package io.zlayer.domain.dockerfile.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ports BuildKit's bflag_test.go and adds the error texts. */
class InstructionFlagsTest {

  private static InstructionFlags flags(String... args) {
    return new InstructionFlags(List.of(args));
  }

  private static String error(InstructionFlags flags) {
    return assertThrows(DockerfileException.class, flags::parse).detail();
  }

  @Test
  void noArgumentsParse() throws Exception {
    flags().parse();
    flags("--").parse();
  }

  @Test
  void defaultsApplyWhenUnused() throws Exception {
    InstructionFlags bf = flags();
    InstructionFlags.Flag str = bf.addString("str1", "HI");
    InstructionFlags.Flag bool = bf.addBool("bool1", false);
    bf.parse();
    assertEquals("HI", str.value());
    assertFalse(bool.isTrue());
    assertFalse(str.isUsed());
    assertFalse(bool.isUsed());
  }

  @Test
  void stringFlagNeedsEquals() {
    InstructionFlags bf = flags("--str1");
    bf.addString("str1", "HI");
    assertEquals("missing a value on flag: --str1", error(bf));
  }

  @Test
  void stringFlagMayBeEmpty() throws Exception {
    InstructionFlags bf = flags("--str1=");
    InstructionFlags.Flag str = bf.addString("str1", "HI");
    bf.parse();
    assertEquals("", str.value());
    assertTrue(str.isUsed());
  }

  @Test
  void stringFlagTakesEverythingAfterTheFirstEquals() throws Exception {
    InstructionFlags bf = flags("--str1=a=b,c");
    InstructionFlags.Flag str = bf.addString("str1", "");
    bf.parse();
    assertEquals("a=b,c", str.value());
  }

  @ParameterizedTest
  @CsvSource({"--bool1,true", "--bool1=true,true", "--bool1=false,false", "--bool1=TRUE,true",
      "--bool1=False,false"})
  void boolFlagSpellings(String arg, boolean expected) throws Exception {
    InstructionFlags bf = flags(arg);
    InstructionFlags.Flag bool = bf.addBool("bool1", !expected);
    bf.parse();
    assertEquals(expected, bool.isTrue());
  }

  @Test
  void boolFlagRejectsOtherValues() {
    InstructionFlags bf = flags("--bool1=false1");
    bf.addBool("bool1", false);
    assertEquals("expecting boolean value for flag --bool1, not: false1", error(bf));
  }

  @Test
  void boolFlagWithEmptyValueIsMissingAValue() {
    InstructionFlags bf = flags("--bool1=");
    bf.addBool("bool1", false);
    assertEquals("missing a value on flag: --bool1", error(bf));
  }

  @Test
  void unknownFlagIsAnError() {
    InstructionFlags bf = flags("--bool2");
    bf.addBool("bool1", false);
    assertEquals("unknown flag: --bool2 (did you mean bool1?)", error(bf));
  }

  @Test
  void unknownFlagFarFromAnyKnownHasNoHint() {
    InstructionFlags bf = flags("--platform=x");
    bf.addString("from", "");
    assertEquals("unknown flag: --platform", error(bf));
  }

  @Test
  void suggestionIsCaseSensitive() {
    InstructionFlags bf = flags("--FROM=x");
    bf.addString("from", "");
    assertEquals("unknown flag: --FROM", error(bf));
  }

  @Test
  void flagsCombine() throws Exception {
    InstructionFlags bf = flags("--bool1", "--str1=BYE");
    InstructionFlags.Flag str = bf.addString("str1", "HI");
    InstructionFlags.Flag bool = bf.addBool("bool1", false);
    bf.parse();
    assertEquals("BYE", str.value());
    assertTrue(bool.isTrue());
  }

  @Test
  void usedListsFlagsInOrderWritten() throws Exception {
    InstructionFlags bf = flags("--bool2=false", "--bool3", "--bool4=true", "--bool5",
        "--str2= ", "--str3=def3", "--str4=my-val");
    for (String b : List.of("bool1", "bool2", "bool3")) {
      bf.addBool(b, false);
    }
    bf.addBool("bool4", true);
    bf.addBool("bool5", true);
    bf.addString("str1", "");
    bf.addString("str2", "");
    bf.addString("str3", "def3");
    bf.addString("str4", "def4");
    bf.parse();
    assertEquals(List.of("bool2", "bool3", "bool4", "bool5", "str2", "str3", "str4"), bf.used());
  }

  @Test
  void repeatingASingleValueFlagIsAnError() {
    InstructionFlags bf = flags("--link", "--link=false");
    bf.addBool("link", false);
    assertEquals("duplicate flag specified: --link", error(bf));
  }

  @Test
  void repeatableFlagCollectsEveryValue() throws Exception {
    InstructionFlags bf = flags("--exclude=*.tmp", "--exclude=", "--exclude=a,b");
    InstructionFlags.Flag excludes = bf.addStrings("exclude");
    bf.parse();
    assertEquals(List.of("*.tmp", "", "a,b"), excludes.values());
  }

  @Test
  void repeatableFlagNeedsAValue() {
    InstructionFlags bf = flags("--exclude");
    bf.addStrings("exclude");
    assertEquals("missing a value on flag: --exclude", error(bf));
  }

  @Test
  void wordsWithoutDashesAreRejected() {
    InstructionFlags bf = flags("-x");
    assertEquals("arg should start with -- : -x", error(bf));
  }

  @Test
  void doubleDashEndsFlagProcessing() throws Exception {
    InstructionFlags bf = flags("--link", "--", "--bogus");
    InstructionFlags.Flag link = bf.addBool("link", false);
    bf.parse();
    assertTrue(link.isTrue());
  }

  @Test
  void declaringAFlagTwiceIsAProgrammingError() {
    InstructionFlags bf = flags();
    bf.addBool("link", false);
    assertThrows(IllegalStateException.class, () -> bf.addString("link", ""));
  }
}
