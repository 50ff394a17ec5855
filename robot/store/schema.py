"""TEMP stub until store lands."""

from sqlalchemy import MetaData

metadata = MetaData()
