"""Small .vec programs shared by the tests of the cache, --watch and the language server."""

FIRST_LAST = """fn first(xs: vec<int>) -> (r: int)
  requires len(xs) > 0
  ensures r == xs[0]
{
  r := xs[0];
}

fn last(xs: vec<int>) -> (r: int)
  requires len(xs) > 0
  ensures r == xs[len(xs) - 1]
{
  r := xs[len(xs) - 1];
}
"""
# `last` returns the first element instead: its postcondition is violated
FIRST_LAST_BROKEN = FIRST_LAST.replace("r := xs[len(xs) - 1];", "r := xs[0];")
