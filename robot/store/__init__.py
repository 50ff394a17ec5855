"""TEMP stub until store lands."""
