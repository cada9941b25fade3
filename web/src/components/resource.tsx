// A page of one API resource: its table, and, as the role allows, a create form, an edit form
// per row, a delete per row and the page's own row actions.
import type { ComponentChildren, JSX } from "preact";
import { useState } from "preact/hooks";
import type { ApiError } from "../api/client";
import { useLoad } from "../hooks";
import { useI18n, type MsgKey } from "../i18n";
import {
  ConfirmButton,
  DataTable,
  ErrorNotice,
  FormPanel,
  Loading,
  Notice,
  type Column,
  type FieldSpec,
  type Values,
} from "./ui";

export interface ResourceProps<T> {
  /** The noun of the buttons and messages ("extension"). */
  noun: MsgKey;
  /** The table's caption (the page's name: "Extensions"). */
  caption: MsgKey;
  load: () => Promise<T[]>;
  deps?: readonly unknown[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  create?: {
    fields: FieldSpec[];
    initial: Values;
    submit: (values: Values) => Promise<unknown>;
    /** Shown after a successful create (e.g. a secret shown once); `done` hides it. */
    after?: (result: unknown, done: () => void) => ComponentChildren;
  };
  edit?: {
    fields: (row: T) => FieldSpec[];
    initial: (row: T) => Values;
    submit: (row: T, values: Values) => Promise<unknown>;
  };
  remove?: (row: T) => Promise<unknown>;
  rowActions?: (row: T, reload: () => void) => ComponentChildren;
  /** Above the table: explanations, or panels a row action opened. */
  children?: ComponentChildren;
}

export function ResourcePage<T>(props: ResourceProps<T>): JSX.Element {
  const { t } = useI18n();
  const noun = t(props.noun);
  const list = useLoad(props.load, props.deps ?? []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ result: unknown } | null>(null);
  const [editing, setEditing] = useState<T | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [flash, setFlash] = useState<string>("");

  const actions =
    props.edit || props.remove || props.rowActions
      ? (row: T): ComponentChildren => (
          <>
            {props.edit ? (
              <button
                type="button"
                aria-label={`${t("common.edit")} ${props.rowKey(row)}`}
                onClick={() => {
                  setEditing(row);
                  setCreating(false);
                }}
              >
                {t("common.edit")}
              </button>
            ) : null}
            {props.rowActions?.(row, list.reload)}
            {props.remove ? (
              <ConfirmButton
                label={t("common.delete")}
                confirmLabel={t("common.confirm_delete", { what: props.rowKey(row) })}
                onError={setActionError}
                onConfirm={async () => {
                  setActionError(null);
                  await props.remove?.(row);
                  setFlash(t("common.deleted", { what: props.rowKey(row) }));
                  list.reload();
                }}
              />
            ) : null}
          </>
        )
      : undefined;

  return (
    <>
      {props.children}
      {flash ? <Notice kind="ok">{flash}</Notice> : null}
      <ErrorNotice error={actionError} />
      {created && props.create?.after ? props.create.after(created.result, () => setCreated(null)) : null}
      {props.create ? (
        creating ? (
          <FormPanel
            title={t("common.add_what", { what: noun })}
            fields={props.create.fields}
            initial={props.create.initial}
            submitLabel="common.save"
            onCancel={() => setCreating(false)}
            onSubmit={async (values) => {
              const result = await props.create?.submit(values);
              setCreating(false);
              setCreated({ result });
              setFlash(t("common.created", { what: noun }));
              list.reload();
            }}
          />
        ) : (
          <p>
            <button
              type="button"
              class="primary"
              onClick={() => {
                setCreating(true);
                setEditing(null);
                setFlash("");
              }}
            >
              {t("common.add_what", { what: noun })}
            </button>
          </p>
        )
      ) : null}
      {editing && props.edit ? (
        <FormPanel
          key={props.rowKey(editing)}
          title={t("common.edit_what", { what: `${noun} ${props.rowKey(editing)}` })}
          fields={props.edit.fields(editing)}
          initial={props.edit.initial(editing)}
          submitLabel="common.save"
          onCancel={() => setEditing(null)}
          onSubmit={async (values) => {
            await props.edit?.submit(editing, values);
            setFlash(t("common.saved", { what: props.rowKey(editing) }));
            setEditing(null);
            list.reload();
          }}
        />
      ) : null}
      <ErrorNotice error={list.error} />
      {list.loading && list.data === undefined ? (
        <Loading />
      ) : (
        <div class="results" aria-busy={list.loading ? "true" : "false"}>
          <DataTable
            caption={t(props.caption)}
            columns={props.columns}
            rows={list.data ?? []}
            rowKey={props.rowKey}
            actions={actions}
          />
        </div>
      )}
    </>
  );
}
