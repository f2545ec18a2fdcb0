package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudDeviationTest {
  @TempDir Path dir;

  private ImageSnapshot image(String config) throws Exception {
    Path empty = dir.resolve("empty.tar");
    Files.write(empty, new byte[1024]);
    return new ImageSnapshot(ConfigFields.of(config.getBytes(StandardCharsets.UTF_8)),
        FlattenedTree.of(List.of(empty)));
  }

  @Test
  void aRecordedLabelIsCheckedAndOnlyThatLabelIsTakenFromZlayer() throws Exception {
    ImageSnapshot bud = image("{\"config\":{\"Labels\":{\"io.buildah.version\":\"1.28.2\","
        + "\"a\":\"1\"},\"WorkingDir\":\"\",\"Entrypoint\":[]}}");
    ImageSnapshot zlayer = image("{\"config\":{\"Labels\":{\"a\":\"2\"}}}");
    ImageSnapshot reconciled = BudDeviation.parse("label.io.buildah.version", "\"1.28.2\"")
        .reconcile(bud, zlayer);
    // the other label still differs; empty WorkingDir and Entrypoint are unset, as in Docker
    assertEquals(List.of("Labels: {\"a\":\"1\"} | {\"a\":\"2\"}"),
        ConfigFields.differences(reconciled.config(), zlayer.config()));
  }

  @Test
  void aStaleOrNoLongerDifferentDeviationFails() throws Exception {
    ImageSnapshot bud = image("{\"config\":{\"Env\":[\"B=1\",\"A=1\"]}}");
    ImageSnapshot zlayer = image("{\"config\":{\"Env\":[\"A=1\",\"B=1\"]}}");
    AssertionError stale = assertThrows(AssertionError.class,
        () -> BudDeviation.parse("config.Env", "[\"B=2\",\"A=1\"]").reconcile(bud, zlayer));
    assertTrue(stale.getMessage().contains("no longer true"), stale.getMessage());
    AssertionError same = assertThrows(AssertionError.class,
        () -> BudDeviation.parse("config.Env", "[\"A=1\",\"B=1\"]").reconcile(zlayer, zlayer));
    assertTrue(same.getMessage().contains("is not a deviation"), same.getMessage());
    AssertionError missingFile = assertThrows(AssertionError.class,
        () -> BudDeviation.parse("file./etc/hosts", "dir 0755 0:0").reconcile(bud, zlayer));
    assertTrue(missingFile.getMessage().contains("bud has -"), missingFile.getMessage());
  }
}
