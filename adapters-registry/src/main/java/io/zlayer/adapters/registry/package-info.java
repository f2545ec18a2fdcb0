/**
 * The OCI distribution registry client: the {@code Registry} and {@code CredentialSource} ports.
 *
 * <p>Wiring: {@code new HttpRegistry(new StoredCredentialSource())} (or with
 * {@link io.zlayer.adapters.registry.RegistryClientSettings} for retries, chunking, a trace
 * sink), and {@code RegistryOptions} whose insecure hosts are the {@code --insecure-registry}
 * flags plus {@code RegistriesConf.load().insecureRegistries()}.
 *
 * <p>Choices worth knowing:
 *
 * <ul>
 *   <li>Loopback registries (localhost, 127.0.0.0/8, ::1) are spoken to over plain HTTP first,
 *       like containerd; HTTPS (unverified) only when that HTTP ping answers 400. Insecure
 *       registries get unverified HTTPS first and plain HTTP when that fails, as Docker does.
 *       Every other host is verified HTTPS only; token services and storage redirects may use
 *       plain HTTP only when the registry is loopback or insecure, or when they are themselves.
 *   <li>Feign (feign-core, feign-jackson) carries the small JSON calls: tag lists, token
 *       services and the decoding of error bodies; it runs over the same JDK connection logic.
 *       Manifests and blobs use {@code java.net.http.HttpClient} directly, streaming bodies.
 *   <li>Blobs above {@code chunkedUploadThreshold} (16 MiB) go up in PATCH chunks that are
 *       resumable; smaller ones in one PUT. Downloads resume with {@code Range}.
 *   <li>No message, hint, exception or trace line carries a password, token or Authorization
 *       value: each session masks every secret it has seen.
 * </ul>
 */
package io.zlayer.adapters.registry;
