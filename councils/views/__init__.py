"""Thin views of the councils app: parse, call one service or selector, render.

`setup`: what the administrator and the secretary prepare (the council, its members for a term,
sessions, their agenda and evaluators); `running`: the session as it runs, its results and the
public consultation."""
