import { alertApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DownloadButton } from './DownloadButton';

describe('DownloadButton', () => {
  const createObjectURL = jest.fn(() => 'blob:http://app/1');
  const revokeObjectURL = jest.fn();
  let clicked: HTMLAnchorElement[];

  beforeEach(() => {
    clicked = [];
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
  });

  afterEach(() => jest.restoreAllMocks());

  it('fetches the file and saves it under its name', async () => {
    const blob = new Blob(['a,b\n'], { type: 'text/csv' });
    const fetchFile = jest
      .fn()
      .mockResolvedValue({ blob, fileName: 'scorecards.csv' });
    await renderInTestApp(
      <DownloadButton label="Services CSV" fetchFile={fetchFile} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Services CSV' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(fetchFile).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked[0].download).toBe('scorecards.csv');
    expect(clicked[0].href).toBe('blob:http://app/1');
  });

  it('says why when the download fails', async () => {
    const alertApi = { post: jest.fn(), alert$: jest.fn() };
    const fetchFile = jest.fn().mockRejectedValue(new Error('backend down'));
    await renderInTestApp(
      <TestApiProvider apis={[[alertApiRef, alertApi]]}>
        <DownloadButton label="Teams CSV" fetchFile={fetchFile} />
      </TestApiProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Teams CSV' }));
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: 'Could not download: backend down',
        severity: 'error',
      }),
    );
    expect(clicked).toHaveLength(0);
  });
});
