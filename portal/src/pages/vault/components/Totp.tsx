// The live authenticator code of a login, refreshed every second with the seconds left.

import { useEffect, useMemo, useState } from "react";
import { formatCode, parseTotp, secondsLeft, totpCode } from "../../../lib/vault/totp";
import { CopyButton } from "./fields";

export function TotpCode(props: { secret: string | null }) {
  const params = useMemo(() => parseTotp(props.secret), [props.secret]);
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    if (params === null) return;
    const timer = window.setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => window.clearInterval(timer);
  }, [params]);
  const counter = params ? Math.floor(now / params.period) : 0;
  useEffect(() => {
    if (params === null) return;
    let live = true;
    void totpCode(params, now).then((next) => {
      if (live) setCode(next);
    });
    return () => {
      live = false;
    };
    // A new code only when the period turns over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params, counter]);
  if (params === null) return <span className="hint">Not a valid authenticator key</span>;
  const left = secondsLeft(params, now);
  return (
    <span className="totp">
      <output className="mono totp-code" aria-label="Verification code (TOTP)">
        {code ? formatCode(code) : "…"}
      </output>
      <span className={left <= 7 ? "totp-left low" : "totp-left"} aria-label={`${left} seconds left`}>
        {left}s
      </span>
      <CopyButton value={code} label="Copy verification code" />
    </span>
  );
}
