"""`vecverify bench`: regression runs over benchmark suites (SMT-LIB folders with a manifest of
expected answers, and .vec/.sol folders annotated with expected verdicts), with a summary per
suite and solver, comparison against a baseline, plots, and local or Dask execution."""
