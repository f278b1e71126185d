"""Bodies, their programmes and budgets, and their allocation to the plans' items."""
