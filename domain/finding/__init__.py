"""Finding runs: typed run queries, the finder's priority chain, its report, query helpers."""
