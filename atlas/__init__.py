"""Nexus Atlas core: settings, errors, filter state, store access and the command line.

Everything here is shared by ingest/, queries/, layers/ and ui/; nothing here imports them
except the command line (atlas.cli), which sits on top of them all.
"""
