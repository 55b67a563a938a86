"""Commendations (khen thưởng): proposals of a proposing body, decisions, certificates."""
