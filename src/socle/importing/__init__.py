"""Importing real-world spreadsheets into a schema.

Files written by hand rarely follow a schema to the letter: ``26 956,00`` for an amount, ``2017/09/08``
for a date, ``Numéraire`` for an enum value. This package turns such a file into a conformant one,
changing only what can be changed with certainty and recording every change; the fixes live in
:mod:`socle.importing.fixes`.

Before the cells, the table itself: :mod:`socle.importing.detect` finds the sheet of a workbook and
the header row under title rows (or a header on two rows), and :mod:`socle.importing.mapping`
matches the file's column labels to the schema's fields (names, titles, former names known in
:mod:`socle.importing.aliases`, resemblance), saves that mapping as JSON and applies it to a table.
See ``docs/import.md``.
"""
