"""The blank "Formato de Creación de Usuarios" as Excel and CSV, generated from ``COLUMNS``.

The files shipped in ``notebooks/formatos/`` are written by ``write_templates``; a test keeps
them in step with the columns the reader expects.
"""

from __future__ import annotations

from pathlib import Path

from mailops.dependencias import DependenciaMap
from mailops.provisioning.form import COLUMNS

__all__ = ["TEMPLATE_NAME", "write_templates"]

TEMPLATE_NAME = "formato_creacion_usuarios"


def write_templates(folder: Path, mapping: DependenciaMap | None = None) -> tuple[Path, Path]:
    """Write ``formato_creacion_usuarios.xlsx`` and ``.csv`` (``;``, UTF-8 with BOM) to
    ``folder``; returns both paths."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    deps = mapping or DependenciaMap.load()
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Formato"
    sheet.append([c.header for c in COLUMNS])
    for i, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79" if column.required else "5B9BD5")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(16, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    dep_col = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "dependencia")
    vin_col = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "vinculacion")
    lists = book.create_sheet("Listas")
    for r, d in enumerate(deps.dependencias, start=1):
        lists.cell(row=r, column=1, value=d.nombre)
    for r, v in enumerate(
        ("planta", "provisional", "libre nombramiento", "contratista", "pasante"), start=1
    ):
        lists.cell(row=r, column=2, value=v)
    n = len(deps.dependencias)
    for col, formula in ((dep_col, f"=Listas!$A$1:$A${n}"), (vin_col, "=Listas!$B$1:$B$5")):
        letter = sheet.cell(row=1, column=col).column_letter
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = "Elija un valor de la lista."
        dv.errorTitle = "Valor no válido"
        sheet.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}1000")
    help_sheet = book.create_sheet("Instrucciones")
    help_sheet.append(["Columna", "Obligatoria", "Cómo llenarla"])
    for c in COLUMNS:
        help_sheet.append([c.header, "sí" if c.required else "no", c.help])
    help_sheet.append([])
    help_sheet.append(
        [
            "Una fila por persona. La Dirección TICS-CTEI crea la cuenta solo si la fila está "
            "aprobada; la contraseña inicial se entrega por un canal aparte."
        ]
    )
    help_sheet.column_dimensions["A"].width = 26
    help_sheet.column_dimensions["C"].width = 90
    xlsx = folder / f"{TEMPLATE_NAME}.xlsx"
    book.save(xlsx)
    csv_path = folder / f"{TEMPLATE_NAME}.csv"
    csv_path.write_text(";".join(c.header for c in COLUMNS) + "\r\n", encoding="utf-8-sig")
    return xlsx, csv_path
