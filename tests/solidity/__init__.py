"""Tests of the Solidity frontend."""
