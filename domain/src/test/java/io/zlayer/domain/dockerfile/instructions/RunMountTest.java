package io.zlayer.domain.dockerfile.instructions;

import static io.zlayer.domain.dockerfile.instructions.InstructionParserTest.parse;
import static io.zlayer.domain.dockerfile.instructions.Nodes.instruction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code RUN --mount} resolution, following commands_runmount.go. */
class RunMountTest {

  private static Mount mount(String spec) throws DockerfileException {
    return MountParser.resolve(spec, new FakeExpander());
  }

  private static String error(String spec) {
    return assertThrows(DockerfileException.class, () -> mount(spec)).detail();
  }

  @Test
  void defaultIsAReadOnlyBind() throws Exception {
    Mount m = mount("target=/src");
    assertEquals(MountType.BIND, m.type());
    assertTrue(m.readOnly());
    assertEquals(Optional.of("/src"), m.target());
    assertEquals(Optional.empty(), m.from());
    assertEquals(Optional.empty(), m.source());
    assertEquals(0, m.sizeLimit());
    assertFalse(m.required());
  }

  @ParameterizedTest
  @ValueSource(strings = {"target", "dst", "destination", "TARGET"})
  void targetAliases(String key) throws Exception {
    assertEquals(Optional.of("/t"), mount(key + "=/t").target());
  }

  @Test
  void bindFromAStageWithSourceAndReadWrite() throws Exception {
    Mount m = mount("type=bind,from=build,source=/out,src=/out2,target=/in,rw");
    assertEquals(Optional.of("build"), m.from());
    assertEquals(Optional.of("/out2"), m.source());
    assertFalse(m.readOnly());
  }

  @ParameterizedTest
  @CsvSource({"ro,true", "readonly,true", "rw,false", "readwrite,false", "ro=false,false",
      "readonly=1,true", "rw=true,false", "readwrite=F,true", "RO,true"})
  void readOnlySpellings(String field, boolean readOnly) throws Exception {
    assertEquals(readOnly, mount("type=cache,target=/x," + field).readOnly());
  }

  @Test
  void cacheAndTmpfsAreWritableByDefault() throws Exception {
    assertFalse(mount("type=cache,target=/root/.cache").readOnly());
    assertFalse(mount("type=tmpfs,target=/tmp").readOnly());
    assertTrue(mount("type=secret,id=x").readOnly());
    assertTrue(mount("type=ssh").readOnly());
  }

  @Test
  void cacheOptions() throws Exception {
    Mount m = mount("type=Cache,id=go-build,target=/root/.cache/go-build,sharing=LOCKED,"
        + "mode=0755,uid=1000,gid=1001,from=base,source=/cache");
    assertEquals(MountType.CACHE, m.type());
    assertEquals(Optional.of("go-build"), m.id());
    assertEquals(Optional.of(CacheSharing.LOCKED), m.sharing());
    assertEquals(OptionalLong.of(0755), m.mode());
    assertEquals(OptionalLong.of(1000), m.uid());
    assertEquals(OptionalLong.of(1001), m.gid());
    assertEquals(Optional.of("base"), m.from());
  }

  @ParameterizedTest
  @CsvSource({"64m,67108864", "1g,1073741824", "512,512", "1.5k,1536", "2MiB,2097152",
      "10 kb,10240", "3B,3"})
  void tmpfsSize(String size, long bytes) throws Exception {
    assertEquals(bytes, mount("type=tmpfs,target=/t,size=" + size).sizeLimit());
  }

  @Test
  void secretOptions() throws Exception {
    Mount m = mount("type=secret,id=aws,target=/root/.aws/credentials,required,mode=0400,"
        + "uid=0");
    assertEquals(MountType.SECRET, m.type());
    assertTrue(m.required());
    assertEquals(Optional.of("aws"), m.id());
    Mount env = mount("type=secret,id=token,env=API_TOKEN,required=false");
    assertEquals(Optional.of("API_TOKEN"), env.env());
    assertFalse(env.required());
    assertEquals(Optional.of(""), mount("type=secret,id=t,env=").env());
  }

  @Test
  void sshRequired() throws Exception {
    assertTrue(mount("type=ssh,required=true").required());
    assertTrue(mount("type=ssh,id=gh,required").required());
  }

  @Test
  void quotedCsvFieldMayHoldCommas() throws Exception {
    assertEquals(Optional.of("/a,b"), mount("type=bind,\"target=/a,b\"").target());
    assertEquals(Optional.of("/a\"b"), mount("\"target=/a\"\"b\"").target());
  }

  @Test
  void valuesAreExpanded() throws Exception {
    FakeExpander expander = new FakeExpander("DIR", "/cache", "ID", "pip");
    Mount m = MountParser.resolve("type=cache,id=$ID,target=${DIR}/pip", expander);
    assertEquals(Optional.of("pip"), m.id());
    assertEquals(Optional.of("/cache/pip"), m.target());
    assertEquals(List.of("cache", "$ID", "${DIR}/pip"), expander.seen);
  }

  @Test
  void typeAndSharingErrorsSuggest() {
    assertEquals("unsupported mount type \"bnd\" (did you mean bind?)", error("type=bnd"));
    assertEquals("unsupported mount type \"volume\"", error("type=volume"));
    assertEquals("unsupported sharing value \"shard\" (did you mean shared?)",
        error("type=cache,sharing=shard"));
  }

  @Test
  void keyErrors() {
    assertEquals("unexpected key 'tagret' in 'tagret=/x' (did you mean target?)",
        error("tagret=/x"));
    assertEquals("unexpected key 'volume' in 'volume=x'", error("volume=x"));
    assertEquals("invalid field 'cache' must be a key=value pair", error("cache"));
    assertEquals("invalid field '' must be a key=value pair", error("target=/x,"));
  }

  @Test
  void typeSpecificKeysDependOnTheTypeSoFar() throws Exception {
    assertEquals("unexpected key 'required' for mount type 'bind'", error("required"));
    assertEquals("unexpected key 'required' for mount type 'cache'",
        error("type=cache,required=true"));
    // BuildKit checks against the type known when the key is read.
    assertEquals("unexpected key 'required' for mount type 'bind'",
        error("required,type=secret,id=x"));
    assertEquals("unexpected key 'size' for mount type 'cache'", error("type=cache,size=1m"));
    assertTrue(mount("type=secret,id=x,required").required());
  }

  @Test
  void valueErrors() {
    assertEquals("invalid value for ro: maybe", error("ro=maybe"));
    assertEquals("invalid value for rw: yes", error("rw=yes"));
    assertEquals("invalid value for required: x", error("type=ssh,required=x"));
    assertEquals("invalid value for size: 1x", error("type=tmpfs,size=1x"));
    assertEquals("invalid value for size: -1", error("type=tmpfs,size=-1"));
    assertEquals("invalid value for size: big", error("type=tmpfs,size=big"));
    assertEquals("invalid value 0789 for mode", error("type=cache,mode=0789"));
    assertEquals("invalid value -1 for uid", error("type=cache,uid=-1"));
    assertEquals("invalid value 4294967296 for gid", error("type=cache,gid=4294967296"));
  }

  @Test
  void fileInfoOnlyForCacheSecretAndSsh() {
    assertEquals("mode not allowed for \"bind\" type mounts", error("mode=0700"));
    assertEquals("uid not allowed for \"tmpfs\" type mounts", error("type=tmpfs,uid=1"));
    assertEquals("gid not allowed for \"bind\" type mounts", error("gid=1"));
  }

  @Test
  void secretRules() {
    assertEquals("secret mount should not have a from", error("type=secret,id=a,from=x"));
    assertEquals("secret mount should not define sharing",
        error("type=secret,id=a,sharing=shared"));
    assertEquals("invalid secret mount. one of source, target required",
        error("type=secret,env=TOKEN"));
    assertEquals("both source and id can't be set", error("type=secret,id=a,source=b"));
  }

  @Test
  void sharingOnlyForCache() {
    assertEquals("invalid cache sharing set for tmpfs mount", error("type=tmpfs,sharing=locked"));
  }

  @Test
  void csvErrors() {
    assertEquals("failed to parse csv mounts: bare \" in non-quoted-field",
        error("target=\"/x\""));
    assertEquals("failed to parse csv mounts: extraneous or missing \" in quoted-field",
        error("\"target=/x"));
    assertEquals("failed to parse csv mounts: extraneous or missing \" in quoted-field",
        error("\"target=/x\"y"));
  }

  @Test
  void parseTimeRejectsOnlyVariablesInFrom() throws Exception {
    MountParser.check("type=nonsense,mode=abc,target=$X");
    MountParser.check("from=stage$");
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> MountParser.check("FROM=${STAGE}"));
    assertEquals("'from' doesn't support variable expansion, define alias stage instead",
        e.detail());
  }

  @Test
  void runExpandResolvesEveryMountAndNamesTheLine() throws Exception {
    Run run = parse(instruction("RUN").flags("--mount=type=cache,target=$CACHE",
        "--mount=type=secret,id=npmrc,target=/root/.npmrc").args("npm ci").line(14).build(),
        Run.class);
    Run expanded = run.expand(new FakeExpander("CACHE", "/root/.npm"));
    assertTrue(expanded.mountsResolved());
    assertEquals(2, expanded.mounts().size());
    assertEquals(Optional.of("/root/.npm"), expanded.mounts().get(0).target());
    assertEquals(MountType.SECRET, expanded.mounts().get(1).type());
    assertEquals(run.mountSpecs(), expanded.mountSpecs());

    Run bad = parse(instruction("RUN").flags("--mount=type=tmpfs,size=${SIZE}").args("x")
        .line(21).build(), Run.class);
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> bad.expand(new FakeExpander("SIZE", "lots")));
    assertEquals(21, e.line());
    assertEquals("invalid value for size: lots", e.detail());
  }

  @Test
  void unusedRunWithInvalidMountParsesAsInBuildKit() throws Exception {
    Run run = parse(instruction("RUN").flags("--mount=type=bogus").args("x").build(),
        Run.class);
    assertEquals(List.of("type=bogus"), run.mountSpecs());
  }
}
