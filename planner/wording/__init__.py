"""Pure: the words the planner shows about doses, days, plans, the log and safety."""
