/** A cause's title, linking to the page that fixes it when there is one. */
export function FixOrTitle({ title, fix }: { title: string; fix: string | null | undefined }) {
  return fix ? <a href={fix}>{title}</a> : title;
}
