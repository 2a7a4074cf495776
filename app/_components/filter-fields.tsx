import type { ReactNode } from "react";
import { CAUSE_IDS, CAUSES } from "@/lib/classify/causes";
import type { RealmOption, SourceOption } from "@/lib/queries/list-realm-options";
import { FormFollowsUrl } from "./form-follows-url";

/** What every filter form is given: the current parameters, the viewer's zone, the sources and realms to offer. */
export interface FilterProps {
  params: URLSearchParams;
  timeZone: string;
  options: { sources: SourceOption[]; realms: RealmOption[] };
}

/**
 * A filter form as a plain GET form to `action`: every filter lands in the URL and works without JavaScript. The
 * viewer's zone travels along, after any `hidden` values (such as the tab). Its fields always show the URL's
 * values, after Back and Forward too (form-follows-url.tsx).
 */
export function FilterForm({
  action,
  testId,
  timeZone,
  hidden = {},
  children,
}: {
  action: string;
  testId: string;
  timeZone: string;
  hidden?: Record<string, string>;
  children: ReactNode;
}) {
  return (
    <form method="get" action={action} className="filters" data-testid={testId} autoComplete="off">
      <FormFollowsUrl />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="tz" value={timeZone} />
      {children}
    </form>
  );
}

/** A field's id: `f-` and its parameter's name in kebab case (`resourceType` is `f-resource-type`). */
const fieldId = (name: string) => `f-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A labelled text field; `hint` is shown under it and read with it, `describedBy` names a hint shown elsewhere. */
export function TextField({
  name,
  label,
  value,
  placeholder,
  hint,
  describedBy,
  type,
}: {
  name: string;
  label: string;
  value: string;
  placeholder?: string;
  hint?: string;
  describedBy?: string;
  type?: "search";
}) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : describedBy;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={value}
        placeholder={placeholder}
        aria-describedby={hintId}
      />
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled drop-down of `choices`; `children` are options listed before them. */
export function SelectField({
  name,
  label,
  value,
  choices,
  children,
}: {
  name: string;
  label: string;
  value: string;
  choices: readonly { value: string; label: string }[];
  children?: ReactNode;
}) {
  const id = fieldId(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        {children}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const CAUSE_CHOICES = [
  { value: "", label: "Any cause" },
  ...CAUSE_IDS.map((id) => ({ value: id, label: CAUSES[id].title })),
];

/** The cause picker of the explorer and the Patterns page. */
export function CauseField({ params }: { params: URLSearchParams }) {
  return <SelectField name="cause" label="Cause" value={params.get("cause") ?? ""} choices={CAUSE_CHOICES} />;
}

/** A group of check boxes for a parameter that may repeat (`origin`, `operation`); a value with commas is several. */
export function CheckGroup({
  legend,
  name,
  params,
  choices,
}: {
  legend: string;
  name: string;
  params: URLSearchParams;
  choices: readonly { value: string; label: string }[];
}) {
  const checked = new Set(params.getAll(name).flatMap((v) => v.split(",")));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.value} className="check">
          <input type="checkbox" name={name} value={c.value} defaultChecked={checked.has(c.value)} />
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The submit button of a filter form and, where there is one, the link back to no filters. */
export function FilterActions({ submit, reset }: { submit: string; reset?: string }) {
  return (
    <div className="actions">
      <button type="submit" className="primary">
        {submit}
      </button>
      {reset ? <a href={reset}>Reset</a> : null}
    </div>
  );
}
