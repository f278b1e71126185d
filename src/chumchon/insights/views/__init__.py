"""Insights pages: the area dashboard, the rows behind a figure, the figure map."""

from chumchon.insights.views.dashboard import dashboard
from chumchon.insights.views.enterprises import area_enterprises
from chumchon.insights.views.figure_map import figure_map
from chumchon.insights.views.rows import figure_rows, figure_rows_xlsx
from chumchon.insights.views.todo import tambon_todo

__all__ = ["area_enterprises", "dashboard", "figure_map", "figure_rows", "figure_rows_xlsx", "tambon_todo"]
