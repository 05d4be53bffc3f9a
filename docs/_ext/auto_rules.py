"""The ``auto-rules`` directive: a table of every "auto" rule of the estimators.

It reads the rules from the module that resolves them, so the page cannot
drift from the code.
"""

from docutils import nodes
from docutils.parsers.rst import Directive

from sklearn_rnn._estimator.fit_settings import auto_rule_table


class AutoRules(Directive):
    """A two-column table: the parameter and what "auto" resolves to, and why."""

    def run(self):
        table = nodes.table()
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=4)
        head, body = nodes.thead(), nodes.tbody()
        group += head
        group += body
        head += self._row(nodes.Text("parameter"), nodes.Text('"auto" is'))
        for name, rule in auto_rule_table():
            body += self._row(nodes.literal(text=name), nodes.Text(rule))
        return [table]

    @staticmethod
    def _row(*cells):
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", content)
            row += entry
        return row


def setup(app):
    app.add_directive("auto-rules", AutoRules)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
