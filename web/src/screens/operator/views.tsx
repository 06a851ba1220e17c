// The operator console's screens as route views; loaded on first use (app/lazy.tsx).
import type { ViewProps } from '../../app/route-def';
import { Experts } from './Experts';
import { HealthScreen } from './Health';
import { Labs } from './Labs';
import { Users } from './Users';

export const labs = () => <Labs />;
export const users = ({ me }: ViewProps) => <Users me={me} />;
export const experts = () => <Experts />;
export const health = () => <HealthScreen />;
