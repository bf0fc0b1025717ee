"""What every layer of newsmine shares, at the bottom of its dependencies: where the bundled
data lives (core.paths), the error a user can cause (core.errors) and the version. The crawler,
pipelines, NLP stage and index read these here, never from the CLI package (newsmine/)."""

__version__ = "0.1.0"
