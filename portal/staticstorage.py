"""Static files for production: content-hashed names, gzip and brotli copies (WhiteNoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, without rewriting source-map comments.

    The vendored minified files (Bootstrap) name source maps that are not
    shipped; browsers only fetch them with the developer tools open, so the
    comments are left as they are instead of failing collectstatic.
    """

    patterns = tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for glob, rules in CompressedManifestStaticFilesStorage.patterns
    )
