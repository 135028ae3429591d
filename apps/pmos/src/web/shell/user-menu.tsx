import { useState } from 'react';
import { Link } from 'react-router';
import type { Me } from '../api-types.js';
import { useSignOut } from '../auth/session.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { ChevronsIcon, LogOutIcon, UserIcon } from '../common/icons.js';
import { Popover } from '../common/popover.js';
import { initials } from '../lib/format.js';

export function UserMenu({ me }: { me: Me }) {
  const signOut = useSignOut();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  return (
    <>
      <Popover
        placement="above"
        triggerClassName="user-trigger"
        triggerLabel={`Account menu for ${me.user.name}`}
        panelClassName="user-panel"
        trigger={
          <>
            <span className="user-avatar" aria-hidden="true">
              {initials(me.user.name)}
            </span>
            <span className="switcher-text">
              <span className="switcher-name">{me.user.name}</span>
              <span className="switcher-role">{me.user.email}</span>
            </span>
            <ChevronsIcon className="switcher-chevron" />
          </>
        }
      >
        {(close) => (
          <>
            <div className="popover-identity">
              <div className="switcher-name">{me.user.name}</div>
              <div className="switcher-role">{me.user.email}</div>
            </div>
            <div className="popover-separator" />
            <Link to="/account" className="popover-item" onClick={close}>
              <span className="popover-item-icon">
                <UserIcon />
              </span>
              Account settings
            </Link>
            <button
              type="button"
              className="popover-item"
              onClick={() => {
                close();
                void signOut(false);
              }}
            >
              <span className="popover-item-icon">
                <LogOutIcon />
              </span>
              Sign out
            </button>
            <button
              type="button"
              className="popover-item"
              onClick={() => {
                close();
                setConfirmEverywhere(true);
              }}
            >
              <span className="popover-item-icon">
                <LogOutIcon />
              </span>
              Sign out everywhere
            </button>
          </>
        )}
      </Popover>
      <SignOutEverywhereDialog
        open={confirmEverywhere}
        onClose={() => setConfirmEverywhere(false)}
        onConfirm={() => signOut(true)}
      />
    </>
  );
}

export function SignOutEverywhereDialog({
  open,
  onClose,
  onConfirm,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => Promise<unknown>;
}) {
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title="Sign out everywhere?"
      description="This ends every session of your account, on every browser and device, including this one."
      confirmLabel="Sign out everywhere"
      onConfirm={onConfirm}
    />
  );
}
