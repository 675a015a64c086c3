import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type {
  CheckDescription,
  TeamRollup,
} from '@opsready/plugin-operability-common';
import { DebouncedTextField } from '../DebouncedTextField';
import { LEVELS_BEST_FIRST } from '../shared/levels';
import type {
  FilterKey,
  ScorecardFilterValues,
} from './useScorecardSearchParams';

interface Option {
  value: string;
  label: string;
}

/** What a list loaded for the filters looks like while it loads or fails. */
export interface LoadedList<T> {
  loading: boolean;
  error?: Error;
  value?: T[];
}

function SelectFilter(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: Option[];
  list?: LoadedList<unknown>;
  onChange: (value: string | undefined) => void;
}) {
  const { id, label, value, list, onChange } = props;
  // A value from a shared link stays selectable even if the list lacks it.
  const options =
    value && !props.options.some(o => o.value === value)
      ? [...props.options, { value, label: value }]
      : props.options;
  let helperText: string | undefined;
  if (list?.loading) helperText = 'Loading…';
  else if (list?.error) helperText = `Could not load: ${list.error.message}`;
  return (
    <TextField
      select
      id={id}
      label={label}
      value={value ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      variant="outlined"
      size="small"
      style={{ minWidth: 180 }}
      helperText={helperText}
      error={Boolean(list?.error)}
    >
      <MenuItem value="">
        <em>Any</em>
      </MenuItem>
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Team, level, type, lifecycle and failing-check filters of the services table. */
export function ScorecardFilters(props: {
  values: ScorecardFilterValues;
  teams: LoadedList<TeamRollup>;
  checks: LoadedList<CheckDescription>;
  onChange: (key: FilterKey, value: string | undefined) => void;
  onClear: () => void;
}) {
  const { values, teams, checks, onChange, onClear } = props;
  // Several owners (from "My teams" or a link) show as one choice, kept
  // until another team or Any is picked.
  const owners = [values.owner ?? []].flat();
  const teamOptions = (teams.value ?? []).map(team => ({
    value: team.ref,
    label: team.title ?? team.ref,
  }));
  const severalOwners = owners.length > 1 ? owners.join(',') : undefined;
  if (severalOwners) {
    teamOptions.push({
      value: severalOwners,
      label: `${owners.length} teams`,
    });
  }
  const levelOptions = LEVELS_BEST_FIRST.map(level => ({
    value: level,
    label: level,
  }));
  const checkOptions = (checks.value ?? []).map(check => ({
    value: check.id,
    label: check.title,
  }));
  const anySet = Object.values(values).some(Boolean);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 12 }}
      role="group"
      aria-label="Filters"
    >
      <SelectFilter
        id="filter-owner"
        label="Team"
        value={severalOwners ?? owners[0]}
        options={teamOptions}
        list={teams}
        onChange={value => onChange('owner', value)}
      />
      <SelectFilter
        id="filter-level"
        label="Level"
        value={values.level}
        options={levelOptions}
        onChange={value => onChange('level', value)}
      />
      <DebouncedTextField
        id="filter-type"
        label="Type"
        variant="outlined"
        size="small"
        delayMs={400}
        value={values.type}
        onChange={value => onChange('type', value)}
      />
      <DebouncedTextField
        id="filter-lifecycle"
        label="Lifecycle"
        variant="outlined"
        size="small"
        delayMs={400}
        value={values.lifecycle}
        onChange={value => onChange('lifecycle', value)}
      />
      <SelectFilter
        id="filter-failing"
        label="Failing check"
        value={values.failing}
        options={checkOptions}
        list={checks}
        onChange={value => onChange('failing', value)}
      />
      {anySet && <Button onClick={onClear}>Clear filters</Button>}
    </Box>
  );
}
