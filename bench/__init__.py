"""`make bench`: a city-sized data set (bench.generate) and the measurements against it (bench.run).

docs/performance.md describes both and holds the latest table."""
