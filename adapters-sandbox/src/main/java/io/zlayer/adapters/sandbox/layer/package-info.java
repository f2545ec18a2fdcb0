/**
 * Image layers on disk for zlayer's own build engine.
 *
 * <p>A <em>layer directory</em> holds one layer unpacked in overlayfs format with
 * {@code userxattr}: a deleted entry is a 0/0 character device, an opaque directory carries
 * {@code user.overlay.opaque=y}. Layer directories are stacked as overlay lowerdirs for RUN, and
 * the upper directory of a RUN is the next layer's change set.
 *
 * <ul>
 *   <li>{@link io.zlayer.adapters.sandbox.layer.LayerTarWriter}: layer directory → compressed
 *       layer blob, reproducibly, digests computed in the same pass.
 *   <li>{@link io.zlayer.adapters.sandbox.layer.LayerUnpacker}: layer blob → layer directory
 *       (or onto a flat root), never writing outside it.
 *   <li>{@link io.zlayer.adapters.sandbox.layer.LayerStack}: the merged, read-only view of
 *       stacked layer directories, with in-root symlink resolution.
 *   <li>{@link io.zlayer.adapters.sandbox.layer.LayerDirWriter}: COPY/ADD/WORKDIR-style writes
 *       into an upper directory without mounting.
 *   <li>{@link io.zlayer.adapters.sandbox.layer.LayerStackFlattener} and
 *       {@link io.zlayer.adapters.sandbox.layer.FlatDiff}: the fallback for sandboxes without
 *       overlayfs.
 * </ul>
 *
 * <p>Extended attributes outside {@code user.*} (notably {@code security.capability}) need the
 * {@code getfattr}/{@code setfattr} programs (Debian package {@code attr}); device nodes, fifos
 * and whiteouts need the {@code mknod} program. The JVM must run in a UTF-8 locale for file
 * names that are not ASCII.
 */
package io.zlayer.adapters.sandbox.layer;
