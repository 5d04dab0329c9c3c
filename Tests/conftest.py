"""Puts Tests/ on the import path of every Python suite, for `testkit`."""
