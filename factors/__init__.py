"""Emission-factor data shipped with carbon (installed as the data package ``carbon.factors``).

This folder holds data only; see README.md here for the file format, and carbon/factorset.py for the loader.
"""
