"""The visit planner's solver core: plain Python, no Django, no database.

`kakehashi.planning` turns the programme's records into a `PlanProblem`, calls `solve()` and stores
the `PlanResult`. Everything here is deterministic for a given problem and seed.
"""
