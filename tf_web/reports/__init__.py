"""The Reports page: figures over a range of days, as SVG charts, tables, CSV and JSON."""
