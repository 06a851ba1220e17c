// The operator console's screens as route views; loaded on first use (app/lazy.tsx).
import type { ViewProps } from '../../app/route-def';
import { InvoiceDetail } from '../../pay/InvoiceDetail';
import { DisputesAdmin } from './DisputesAdmin';
import { Domains } from './Domains';
import { ExamBank } from './ExamBank';
import { ExamBanks } from './ExamBanks';
import { Experts } from './Experts';
import { HealthScreen } from './Health';
import { InvoicesAdmin } from './InvoicesAdmin';
import { LabCurrencies } from './LabCurrencies';
import { Labs } from './Labs';
import { Ledger } from './ledger/Ledger';
import { SignupSettings } from './SignupSettings';
import { PayBands } from './PayBands';
import { PayFrame } from './PayFrame';
import { Payouts } from './Payouts';
import { Standings } from './Standings';
import { Users } from './Users';
import { Vetting } from './Vetting';

export const labs = () => <Labs />;
export const users = ({ me }: ViewProps) => <Users me={me} />;
export const experts = () => <Experts />;
export const health = () => <HealthScreen />;
export const vetting = () => <Vetting />;
export const examBanks = () => <ExamBanks />;
export const examBank = ({ params }: ViewProps) => <ExamBank id={params.id!} />;
export const domains = () => <Domains />;
export const standings = () => <Standings />;
export const signup = () => <SignupSettings />;
export const payBands = () => (
  <PayFrame>
    <PayBands />
  </PayFrame>
);
export const payLabs = () => (
  <PayFrame>
    <LabCurrencies />
  </PayFrame>
);
export const payDisputes = () => (
  <PayFrame>
    <DisputesAdmin />
  </PayFrame>
);
export const payouts = () => (
  <PayFrame>
    <Payouts />
  </PayFrame>
);
export const invoices = () => (
  <PayFrame>
    <InvoicesAdmin />
  </PayFrame>
);
export const ledger = () => (
  <PayFrame>
    <Ledger />
  </PayFrame>
);
export const invoice = ({ params }: ViewProps) => (
  <InvoiceDetail id={params.id!} back={{ href: '/admin/pay/invoices', label: 'Invoices' }} canMarkPaid />
);
