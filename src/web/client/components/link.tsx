import type { ComponentChildren, JSX } from 'preact';
import { href, navigate } from '../router';

type Props = { to: string; children: ComponentChildren } & Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'>;

/** A link inside the app: a real `href` (open in a new tab works), followed without a reload. */
export function Link({ to, children, ...rest }: Props) {
  return (
    <a
      {...rest}
      href={href(to)}
      onClick={(event) => {
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        )
          return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
