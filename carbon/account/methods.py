"""Every method choice of the account in one frozen model, validated once.

:class:`Methods` is recorded on every :class:`~carbon.account.AnnualAccount` (``account.methods``) and in
the run manifest of the account workbook; the ``carbon ledger`` command builds its options from its fields
(:func:`cli_options`), so the API and the command line offer the same choices with the same defaults.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carbon.errors import UnknownNameError
from carbon.factorset import _ELECTRICITY_OPTIONS, FactorSet, fuel_sets

__all__ = ["Methods", "cli_options"]

Scope2 = Literal["both", "location", "market"]
Gwp = Literal["AR4", "AR5", "AR6"]
ElectricityTce = Literal["equivalent", "equal-value"]
CleanEnergy = Literal["natural_gas+non_fossil", "non_fossil"]


class Methods(BaseModel):
    """The method choices of an account. Frozen: a changed choice is a new object (``methods.replace(...)``).

    Every field has a documented default; a choice outside the listed ones raises
    :class:`~carbon.UnknownNameError` naming the valid ones, in Chinese and English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scope2: Scope2 = Field(
        "both",
        description="范围二方法：both（两种都算，结论按市场法）、location（位置法）、market（市场法） / "
        "scope-2 method: both (verdicts market-based), location or market",
    )
    gwp: Gwp = Field("AR6", description="非二氧化碳气体的 GWP 版本 / GWP set for --non-co2")
    factor_set: str = Field(
        "gbt32151",
        description="燃料缺省值因子集 / fuel defaults: the factor set of NCV, carbon content and oxidation",
    )
    electricity_tce: ElectricityTce = Field(
        "equivalent",
        description="电力折标准煤：equivalent（当量值）或 equal-value（等价值） / electricity to tce: 当量值 or 等价值",
    )
    non_co2: bool = Field(False, description="计入燃烧的 CH4 和 N2O（CO2e） / add CH4 and N2O from combustion in CO2e")
    clean_energy: CleanEnergy = Field(
        "natural_gas+non_fossil",
        description="清洁能源的口径 / what counts as clean energy: natural_gas+non_fossil or non_fossil",
    )

    @model_validator(mode="before")
    @classmethod
    def every_choice_is_known(cls, data: object) -> object:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(cls.model_fields))
            if unknown:
                raise UnknownNameError("method", unknown[0], list(cls.model_fields), context="Methods")
        return data

    @field_validator("scope2", "gwp", "electricity_tce", "clean_energy", mode="before")
    @classmethod
    def choice_is_listed(cls, value: object, info) -> object:
        if info.field_name == "electricity_tce" and isinstance(value, str):
            value = _ELECTRICITY_OPTIONS.get(value, value)  # 当量值 and 等价值 are the same choices
        valid = get_args(cls.model_fields[info.field_name].annotation)
        if value not in valid:
            raise UnknownNameError("method", value, list(valid), context=info.field_name)
        return value

    @field_validator("factor_set", mode="before")
    @classmethod
    def factor_set_exists(cls, value: object) -> str:
        if value is None:
            return "gbt32151"
        if isinstance(value, FactorSet):
            return value.name
        if not isinstance(value, str) or value not in fuel_sets():
            raise UnknownNameError("factor set", value, fuel_sets())
        return value

    @field_validator("non_co2", mode="before")
    @classmethod
    def non_co2_is_a_flag(cls, value: object) -> bool:
        if not isinstance(value, bool):
            raise UnknownNameError("method", value, ["True", "False"], context="non_co2")
        return value

    @classmethod
    def of(cls, methods: Methods | Mapping[str, Any] | None = None, **choices: Any) -> Methods:
        """A Methods from another (or a mapping), with ``choices`` replacing its values; None means the default."""
        if methods is not None and not isinstance(methods, Methods | Mapping):
            raise UnknownNameError("method", methods, ["a carbon.Methods", "a mapping of choices"], context="methods")
        base = {} if methods is None else dict(methods)
        base.update({k: v for k, v in choices.items() if v is not None})  # None keeps the choice
        return cls(**base)

    def replace(self, **choices: Any) -> Methods:
        """A copy with some choices changed (validated again)."""
        return Methods.of(self, **choices)

    @property
    def headline(self) -> str:
        """The scope-2 basis of the headline figures and verdicts: ``market`` unless ``scope2='location'``."""
        return "location" if self.scope2 == "location" else "market"

    # read like a mapping, as the methods of an account were before they had a model
    def __getitem__(self, name: str) -> Any:
        if name not in type(self).model_fields:
            raise UnknownNameError("method", name, list(type(self).model_fields))
        return getattr(self, name)

    def keys(self) -> Iterator[str]:
        return iter(type(self).model_fields)

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((name, getattr(self, name)) for name in type(self).model_fields)


def cli_options() -> list[dict[str, Any]]:
    """The command-line options of the method choices: flag, destination, default, choices, help.

    One entry per field of :class:`Methods`, in its order; the command line adds them to ``argparse``."""
    options = []
    for name, field in Methods.model_fields.items():
        choices = list(get_args(field.annotation)) or None
        if name == "factor_set":
            choices = fuel_sets()
        options.append(
            {
                "flag": "--" + name.replace("_", "-"),
                "dest": name,
                "default": field.default,
                "choices": None if field.annotation is bool else choices,
                "flag_only": field.annotation is bool,
                "help": f"{field.description} (default: {field.default})",
            }
        )
    return options
