"""Pledges and their quarterly reviews (scored, praised, rolled up into the annual results)."""
