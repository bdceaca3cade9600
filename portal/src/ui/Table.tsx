/**
 * A data table: a real <table> with a caption (visible or for screen readers only) and column headers, so
 * rows read as "Name: Contoso, Seats: 10". Cells are plain React nodes; sorting and paging stay with the page.
 */
import type { ReactNode } from "react";

export type Column<Row> = {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Render this column's cells as row headers (<th scope="row">): usually the name. */
  rowHeader?: boolean;
  className?: string;
};

export function Table<Row>(props: {
  caption: ReactNode;
  captionHidden?: boolean;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  empty?: ReactNode;
}) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table">
        <caption className={props.captionHidden ? "ui-visually-hidden" : "ui-table-caption"}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && props.empty ? (
            <tr>
              <td colSpan={props.columns.length} className="ui-table-empty">
                {props.empty}
              </td>
            </tr>
          ) : (
            props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.key} scope="row" className={c.className}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.className}>
                      {c.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
