"""Helpers the tests share: not tests themselves, so any test module may import them."""
