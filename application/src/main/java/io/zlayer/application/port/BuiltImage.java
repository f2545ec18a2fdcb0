package io.zlayer.application.port;

import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;

/**
 * What an engine built: the image manifest (in the store), its config, and how many steps ran
 * versus came from the cache.
 */
public record BuiltImage(Descriptor manifest, Digest configDigest, ImageConfig config,
    long contentSize, int steps, int cachedSteps) {}
